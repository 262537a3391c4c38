using System.Text;

namespace ReportJob.IisLogs;

/// <summary>Classifies a request by the first segment of its <c>cs-uri-stem</c> (the Exchange virtual directory).</summary>
public static class IisProtocolClassifier
{
    public const int Count = (int)IisProtocol.PowerShell + 1;

    private static readonly string[] Names = Enum.GetNames<IisProtocol>();

    public static IisProtocol Classify(ReadOnlySpan<byte> uriStem)
    {
        // "/mapi/emsmdb/" → "mapi"; the stem is logged without the query string.
        var stem = uriStem;
        if (!stem.IsEmpty && stem[0] == (byte)'/')
        {
            stem = stem[1..];
        }

        var slash = stem.IndexOf((byte)'/');
        var segment = slash < 0 ? stem : stem[..slash];
        if (segment.IsEmpty)
        {
            return IisProtocol.Other;
        }

        // Dispatch on the first letter so that the common case costs one or two comparisons.
        switch (segment[0] | 0x20)
        {
            case 'm':
                if (Ascii.EqualsIgnoreCase(segment, "mapi"u8))
                {
                    return IisProtocol.MapiHttp;
                }

                if (Ascii.EqualsIgnoreCase(segment, "Microsoft-Server-ActiveSync"u8))
                {
                    return IisProtocol.ActiveSync;
                }

                break;
            case 'r':
                // Outlook Anywhere: /rpc/rpcproxy.dll
                if (Ascii.EqualsIgnoreCase(segment, "rpc"u8))
                {
                    return IisProtocol.RpcHttp;
                }

                break;
            case 'e':
                if (Ascii.EqualsIgnoreCase(segment, "EWS"u8))
                {
                    return IisProtocol.Ews;
                }

                if (Ascii.EqualsIgnoreCase(segment, "ecp"u8))
                {
                    return IisProtocol.Ecp;
                }

                break;
            case 'o':
                if (Ascii.EqualsIgnoreCase(segment, "owa"u8))
                {
                    return IisProtocol.Owa;
                }

                if (Ascii.EqualsIgnoreCase(segment, "OAB"u8))
                {
                    return IisProtocol.Oab;
                }

                break;
            case 'a':
                if (Ascii.EqualsIgnoreCase(segment, "Autodiscover"u8) || Ascii.EqualsIgnoreCase(segment, "Autodiscover.xml"u8))
                {
                    return IisProtocol.Autodiscover;
                }

                break;
            case 'p':
                if (Ascii.EqualsIgnoreCase(segment, "PowerShell"u8) || Ascii.EqualsIgnoreCase(segment, "PowerShell-LiveID"u8))
                {
                    return IisProtocol.PowerShell;
                }

                break;
        }

        return IisProtocol.Other;
    }

    /// <summary>The stored name (the enum's name: <c>MapiHttp</c>).</summary>
    public static string StoredName(IisProtocol protocol) => Names[(int)protocol];

    public static IisProtocol FromStoredName(string name) =>
        Enum.TryParse<IisProtocol>(name, ignoreCase: false, out var p) ? p : IisProtocol.Other;

    /// <summary>The name people know the protocol by.</summary>
    public static string DisplayName(IisProtocol protocol) => protocol switch
    {
        IisProtocol.MapiHttp => "MAPI/HTTP",
        IisProtocol.RpcHttp => "RPC/HTTP",
        IisProtocol.Ews => "EWS",
        IisProtocol.ActiveSync => "ActiveSync",
        IisProtocol.Owa => "OWA",
        IisProtocol.Ecp => "ECP",
        IisProtocol.Autodiscover => "Autodiscover",
        IisProtocol.Oab => "OAB",
        IisProtocol.PowerShell => "PowerShell",
        _ => "Other",
    };
}
