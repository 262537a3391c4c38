using System.Net.Sockets;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A fact about SCTP, which not every kernel has (this project's machine: "Protocol not supported"). With
/// <c>needsSctp</c> it runs only where an SCTP socket can be opened; without, only where it cannot. It skips with that
/// reason even under CI=true: a kernel without the module is not a missing install step.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SctpFactAttribute : FactAttribute
{
    public SctpFactAttribute(bool needsSctp)
    {
        var missing = Unavailable();
        Skip = needsSctp
            ? missing is null ? null : $"this kernel has no SCTP ({missing}); skipped even under CI=true"
            : missing is null ? "this kernel has SCTP: the test of a kernel without it does not apply" : null;
    }

    /// <summary>Why an SCTP socket cannot be opened here, or null when it can.</summary>
    public static string? Unavailable()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, (ProtocolType)132);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }
}
