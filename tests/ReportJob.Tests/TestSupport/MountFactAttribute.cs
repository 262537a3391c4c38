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
        Skip = ExternalTools.SkipReason("mount", "umount")
               ?? (ExternalTools.HasCapability(21) || ExternalTools.IsCi ? null : "needs the right to mount a tmpfs (CAP_SYS_ADMIN, e.g. root); skipped because CI is not true");
    }
}
