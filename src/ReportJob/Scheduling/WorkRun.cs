namespace ReportJob.Scheduling;

/// <summary>Handed from <see cref="WorkJob"/> to <see cref="JobRunListener"/> through the execution context's result.</summary>
internal sealed record WorkRun(long RunId, WorkResult? Result);
