-- The subnet -> site mapping comes from a CSV file and from Active Directory (LDAP), each replaced on its own; a subnet
-- is its network and prefix length (10.0.0.0/8 and 10.0.0.0/16 are two subnets, as AD Sites and Services has them).
CREATE TABLE site_subnet_new (
    source        text    NOT NULL,
    network       text    NOT NULL,
    prefix_length integer NOT NULL,
    site          text    NOT NULL,
    PRIMARY KEY (source, network, prefix_length)
);
INSERT INTO site_subnet_new (source, network, prefix_length, site) SELECT 'file', network, prefix_length, site FROM site_subnet;
DROP TABLE site_subnet;
ALTER TABLE site_subnet_new RENAME TO site_subnet;

-- When each source last replaced its subnets (the LDAP refresh interval is counted from here).
CREATE TABLE site_refresh (
    source       text        NOT NULL PRIMARY KEY,
    origin       text        NOT NULL,
    refreshed_at timestamptz NOT NULL,
    subnets      integer     NOT NULL
);
