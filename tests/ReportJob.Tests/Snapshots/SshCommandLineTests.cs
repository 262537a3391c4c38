using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots;

public sealed class SshCommandLineTests
{
    [Fact]
    public void Build_AllSettings_GivesBatchStrictCommandLine()
    {
        var server = new ServerOptions
        {
            Name = "ex01",
            Source = SnapshotSourceKind.Ssh,
            Host = "ex01.corp.example",
            Port = 2222,
            User = "collector",
            IdentityFile = "/keys/id_ed25519",
            KnownHostsFile = "/keys/known_hosts",
        };

        var args = SshCommandLine.Build(server, TimeSpan.FromSeconds(12.5), "cat /proc/net/tcp");

        Assert.Equal(
            ["-o", "BatchMode=yes", "-o", "ConnectTimeout=13", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/keys/known_hosts",
             "-i", "/keys/id_ed25519", "-p", "2222", "collector@ex01.corp.example", "cat /proc/net/tcp"],
            args);
    }

    [Fact]
    public void Build_Defaults_HostIsNameNoUserNoPort()
    {
        var args = SshCommandLine.Build(new ServerOptions { Name = "ex02", Source = SnapshotSourceKind.Ssh }, TimeSpan.FromSeconds(30), "x");

        Assert.Equal(["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "StrictHostKeyChecking=yes", "ex02", "x"], args);
    }
}
