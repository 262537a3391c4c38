namespace ReportJob.Scheduling;

/// <summary>One entry of <c>Scheduling:Retention:Files</c>: delete files matching <see cref="Pattern"/> in <see cref="Folder"/> (not below it) older than <see cref="Days"/>.</summary>
public sealed class FileRetentionRule
{
    /// <summary>The folder (relative paths are taken from the working directory). A missing folder is skipped.</summary>
    public string Folder { get; set; } = "";

    /// <summary>File name pattern, for example <c>*.html</c>.</summary>
    public string Pattern { get; set; } = "*";

    /// <summary>Files last written more than this many days ago are deleted.</summary>
    public int Days { get; set; }
}
