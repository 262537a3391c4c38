-- The subnet -> site mapping comes from a CSV file and from Active Directory (LDAP), each replaced on its own; a subnet
-- is its network and prefix length (10.0.0.0/8 and 10.0.0.0/16 are two subnets, as AD Sites and Services has them).
CREATE TABLE site_subnet_new (
    source        varchar(16)   NOT NULL,
    network       varchar(64)   NOT NULL,
    prefix_length int           NOT NULL,
    site          nvarchar(256) NOT NULL,
    CONSTRAINT pk_site_subnet PRIMARY KEY (source, network, prefix_length)
);
GO
INSERT INTO site_subnet_new (source, network, prefix_length, site) SELECT 'file', network, prefix_length, site FROM site_subnet;
DROP TABLE site_subnet;
EXEC sp_rename 'site_subnet_new', 'site_subnet';
GO

-- When each source last replaced its subnets (the LDAP refresh interval is counted from here).
CREATE TABLE site_refresh (
    source       varchar(16)    NOT NULL PRIMARY KEY,
    origin       nvarchar(1024) NOT NULL,
    refreshed_at datetime2      NOT NULL,
    subnets      int            NOT NULL
);
