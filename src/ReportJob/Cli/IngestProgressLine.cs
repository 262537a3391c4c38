using ReportJob.NetFlow;

namespace ReportJob.Cli;

/// <summary>
/// Shows a capture's ingest progress on one stderr line when stderr is a terminal (nothing when it is redirected), for
/// files that take longer than a quarter of a second; the line is finished when the file has been read.
/// </summary>
internal sealed class IngestProgressLine : IProgress<IngestProgress>
{
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private (string File, int Number) _shown;

    public void Report(IngestProgress value)
    {
        var end = value.BytesRead >= value.Bytes;
        if (!_enabled || (end && _shown != (value.File, value.FileNumber)))
        {
            return;
        }

        _shown = (value.File, value.FileNumber);
        var percent = value.Bytes == 0 ? 100 : value.BytesRead * 100 / value.Bytes;
        Console.Error.Write(FormattableString.Invariant(
            $"\r[{value.FileNumber}/{value.FileCount}] {value.File}: {percent}% of {value.Bytes / 1e6:N0} MB, {value.Records:N0} flow records   {(end ? Environment.NewLine : "")}"));
    }
}
