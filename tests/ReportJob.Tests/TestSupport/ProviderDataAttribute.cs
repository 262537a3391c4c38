using System.Reflection;
using ReportJob.Storage;
using Xunit.Sdk;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// One theory row per storage provider. SQLite always runs; PostgreSQL needs REPORTJOB_TEST_POSTGRES
/// (test.sh starts a server and sets it) and fails instead of skipping under CI=true; SQL Server runs only
/// when REPORTJOB_TEST_SQLSERVER holds a connection string.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProviderDataAttribute : DataAttribute
{
    public const string PostgresVariable = "REPORTJOB_TEST_POSTGRES";
    public const string SqlServerVariable = "REPORTJOB_TEST_SQLSERVER";

    private readonly StorageProvider _provider;

    public ProviderDataAttribute(StorageProvider provider)
    {
        _provider = provider;
        Skip = provider switch
        {
            StorageProvider.Postgres when string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable)) && !ExternalTools.IsCi =>
                $"needs a PostgreSQL server in {PostgresVariable} (./test.sh starts one); skipped because CI is not true",
            StorageProvider.SqlServer when string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SqlServerVariable)) =>
                $"SQL Server tests run only when {SqlServerVariable} holds a connection string",
            _ => null,
        };
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[_provider]];
}
