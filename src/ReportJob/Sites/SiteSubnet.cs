namespace ReportJob.Sites;

/// <summary>One row of the subnet → site mapping.</summary>
public readonly record struct SiteSubnet(Subnet Subnet, string Site);
