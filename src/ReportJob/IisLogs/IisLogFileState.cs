namespace ReportJob.IisLogs;

/// <summary>
/// How far a log was read (<c>iis_log_file</c>): the first <see cref="ContentLength"/> bytes of its content, whose
/// SHA-256 is <see cref="ContentSha256"/>, are counted; <see cref="Header"/> holds the directives in effect there.
/// <see cref="FileKey"/> is the SHA-256 of the content up to the end of its first record: it names the log
/// whatever its path, and does not change as IIS appends to it.
/// </summary>
internal sealed record IisLogFileState(string FileKey, string FileName, long ContentLength, string ContentSha256, string Header);
