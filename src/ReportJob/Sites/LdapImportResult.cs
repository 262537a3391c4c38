namespace ReportJob.Sites;

/// <summary>What one read of AD Sites and Services stored: where from, the subnets kept, and those left out (no site, no prefix).</summary>
public sealed record LdapImportResult(string Origin, int Subnets, int Skipped);
