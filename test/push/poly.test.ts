import { pushSuite } from './suite.ts';

pushSuite({ vendor: 'poly', mac: '0004f2000012', model: 'VVX 450', requestsPerUpdate: 1 });
