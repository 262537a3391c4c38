namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A fact that mounts a small tmpfs (a real file system that fills up): skipped with a reason when the process may not
/// mount (no CAP_SYS_ADMIN, e.g. not root), unless CI=true.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        Skip = ExternalTools.SkipReason("mount", "umount") ?? (CanMount() || ExternalTools.IsCi ? null : "needs the right to mount a tmpfs (CAP_SYS_ADMIN, e.g. root); skipped because CI is not true");
    }

    private static bool CanMount()
    {
        var status = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal)) : null;
        return status is not null
               && (ulong.Parse(status["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & (1UL << 21)) != 0;
    }
}
