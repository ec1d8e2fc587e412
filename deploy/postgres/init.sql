-- One database per service (they never share one), plus the identity provider's.
CREATE DATABASE meldpunt;
CREATE DATABASE vertrouwenspersonen;
CREATE DATABASE klachten;
CREATE DATABASE rapportage;
CREATE DATABASE keycloak;
