using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary>Shows an import's progress on one stderr line when stderr is a terminal (nothing when it is redirected).</summary>
internal sealed class ImportProgress : IProgress<CsvImportProgress>
{
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private bool _written;

    public void Report(CsvImportProgress value)
    {
        if (!_enabled)
        {
            return;
        }

        Console.Error.Write(FormattableString.Invariant($"\r[{value.FileNumber}/{value.FileCount}] {value.File}: {value.RowsRead:N0} rows   "));
        _written = true;
    }

    public void Done()
    {
        if (_written)
        {
            Console.Error.WriteLine();
        }
    }
}
