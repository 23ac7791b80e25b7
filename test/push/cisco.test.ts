import { pushSuite } from './suite.ts';

pushSuite({ vendor: 'cisco', mac: '00562b000012', model: 'CP-8841-3PCC', requestsPerUpdate: 1 });
