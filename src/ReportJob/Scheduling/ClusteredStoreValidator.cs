using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

/// <summary>Refuses <c>Scheduling:Clustered</c> on SQLite at start, before Quartz does so less clearly.</summary>
internal sealed class ClusteredStoreValidator(IOptions<StorageOptions> storage) : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options) =>
        options.Clustered && storage.Value.Provider == StorageProvider.Sqlite
            ? ValidateOptionsResult.Fail(
                "Scheduling:Clustered: a SQLite job store cannot be clustered (one file, one node). Set Storage:Provider to Postgres or SqlServer, or Scheduling:Clustered to false.")
            : ValidateOptionsResult.Success;
}
