import { pushSuite } from './suite.ts';

// Provisioning on: the phone's files put the missed list on a line key, whose LED the push lights.
pushSuite({
  vendor: 'yealink', mac: '805ec0000012', model: 'SIP-T46U', requestsPerUpdate: 2,
  env: { RINGBACK_PROVISION_USER: 'prov', RINGBACK_PROVISION_PASSWORD: 'provisioning-secret-1' },
});
