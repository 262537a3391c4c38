namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_site</c>: in = to hosts of the site, out = from hosts of the site.</summary>
internal sealed record FlowSiteRow(DateTime BucketStart, string Site, FlowCounters In, FlowCounters Out);
