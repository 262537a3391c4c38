using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using ReportJob.Storage;

namespace ReportJob.Tests.Storage;

/// <summary>
/// A hand-written fake of the database seam for SQL Server, where no engine runs: each command's text is kept (with the
/// step that sent it) and answered with nothing (no rows, null, 0). Parameters are SqlClient's own, as Dapper makes them.
/// </summary>
internal sealed class RecordingConnectionFactory : IDbConnectionFactory
{
    public List<(string Step, string Sql)> Texts { get; } = [];

    /// <summary>The step the next texts belong to (the method a test drives).</summary>
    public string Step { get; set; } = "";

    public StorageProvider Provider => StorageProvider.SqlServer;

    public int CommandTimeoutSeconds => 30;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<DbConnection>(new RecordingConnection(this));

    public sealed class RecordingConnection(RecordingConnectionFactory owner) : DbConnection
    {
        private ConnectionState _state = ConnectionState.Open;

        [AllowNull]
        public override string ConnectionString { get; set; } = "";

        public override string Database => "recording";

        public override string DataSource => "recording";

        public override string ServerVersion => "16.00.0000";

        public override ConnectionState State => _state;

        public override void ChangeDatabase(string databaseName)
        {
        }

        public override void Close() => _state = ConnectionState.Closed;

        public override void Open() => _state = ConnectionState.Open;

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new RecordingTransaction(this, isolationLevel);

        protected override DbCommand CreateDbCommand() => new RecordingCommand(owner) { Connection = this };
    }

    private sealed class RecordingTransaction(DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    private sealed class RecordingCommand(RecordingConnectionFactory owner) : DbCommand
    {
        private readonly SqlCommand _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; }

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection { get; set; }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override int ExecuteNonQuery()
        {
            Record();
            return 0;
        }

        public override object? ExecuteScalar()
        {
            Record();
            return null;
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => _parameters.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Record();
            return new DataTable().CreateDataReader();
        }

        private void Record()
        {
            lock (owner.Texts)
            {
                owner.Texts.Add((owner.Step, CommandText));
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
