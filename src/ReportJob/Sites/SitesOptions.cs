namespace ReportJob.Sites;

public sealed class SitesOptions
{
    public const string Section = "Sites";

    /// <summary>
    /// Optional subnet → site CSV (<c>subnet,site</c>). When set, it is imported into the store whenever its content
    /// changes; otherwise the store keeps what <c>reportjob sites import FILE</c> put there.
    /// </summary>
    public string? SubnetFile { get; set; }
}
