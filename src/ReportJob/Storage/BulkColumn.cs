namespace ReportJob.Storage;

/// <summary>A column of a bulk insert: its name and the type of the values the fill delegate puts there.</summary>
public sealed record BulkColumn(string Name, BulkType Type);
