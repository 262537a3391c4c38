namespace ReportJob.IisLogs;

/// <summary>What a request to an Exchange front end is, from its <c>cs-uri-stem</c>. The names are stored.</summary>
public enum IisProtocol
{
    Other,
    MapiHttp,
    RpcHttp,
    Ews,
    ActiveSync,
    Owa,
    Ecp,
    Autodiscover,
    Oab,
    PowerShell,
}
