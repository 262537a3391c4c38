namespace ReportJob.Cli;

/// <summary>
/// Rows a verb prints: column names and cells. Cells are strings, integers or doubles (JSON keeps numbers as
/// numbers; the table right-aligns them); format times before putting them in.
/// </summary>
internal sealed record OutputTable(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
