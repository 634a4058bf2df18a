DROP TABLE client_assertion_jtis;
DROP TABLE integration_clients;
