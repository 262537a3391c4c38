using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.NetFlow;

namespace ReportJob.Cli;

internal static class ListenCommand
{
    public static Command Create()
    {
        var transport = new Option<string?>("--transport")
        {
            Description = "udp (NetFlow v5/v9, IPFIX), tcp (IPFIX, RFC 7011 §10.4; several exporters at once) or sctp (v9/IPFIX, where the kernel has SCTP); default NetFlow:Listen:Transport, udp.",
        };
        transport.AcceptOnlyFromAmong("udp", "tcp", "sctp");
        var port = new Option<int?>("--port") { Description = "Port (default NetFlow:Listen:Port, 2055)." };
        var bind = new Option<string?>("--bind") { Description = "Address to bind (default NetFlow:Listen:Bind, '::' = IPv4 and IPv6)." };
        var output = new Option<string?>("--out") { Description = "Folder for the pcap files (default NetFlow:Listen:OutputPath)." };
        var minutes = new Option<double?>("--rotate-minutes") { Description = "Start a new file every N minutes (default NetFlow:Listen:RotateEvery)." };
        var megabytes = new Option<double?>("--rotate-mb") { Description = "Start a new file at M MB (default NetFlow:Listen:RotateBytes)." };
        var command = new Command("listen", """
            Receive NetFlow v5/v9/IPFIX over UDP (or IPFIX over TCP, v9/IPFIX over SCTP) and write rotated pcap files
            (*.pcap.partial until complete) that `reportjob ingest` picks up from the inbox, each message a datagram from
            its exporter's address. Ctrl+C or SIGTERM stops it and completes the current file. The UDP receive buffer
            (NetFlow:Listen:ReceiveBufferBytes) and what the OS granted are logged at the start.
            """) { transport, port, bind, output, minutes, megabytes };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var o = services.GetRequiredService<IOptions<NetFlowOptions>>().Value.Listen;
            var bindText = parse.GetValue(bind) ?? o.Bind;
            if (!IPAddress.TryParse(bindText, out var address))
            {
                throw new UsageException($"listen: --bind '{bindText}' is not an IP address");
            }

            var p = parse.GetValue(port) ?? o.Port;
            if (p is < 1 or > 65535)
            {
                throw new UsageException($"listen: --port {p} is not a port");
            }

            var over = parse.GetValue(transport) is { } t ? Enum.Parse<ListenTransport>(t, ignoreCase: true) : o.Transport;

            var every = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : o.RotateEvery;
            var bytes = parse.GetValue(megabytes) is { } mb ? (long)(mb * 1024 * 1024) : o.RotateBytes;
            if (every <= TimeSpan.Zero || bytes < 4096)
            {
                throw new UsageException("listen: --rotate-minutes must be positive and --rotate-mb at least 0.004");
            }

            var settings = new ListenSettings(address, p, parse.GetValue(output) ?? o.OutputPath, every, bytes, o.ReceiveBufferBytes) { Transport = over };
            CollectorCounters counters;
            try
            {
                counters = over == ListenTransport.Udp
                    ? await services.GetRequiredService<UdpCollector>().RunAsync(settings, token)
                    : await services.GetRequiredService<StreamCollector>().RunAsync(settings, token);
            }
            catch (TransportUnavailableException ex)
            {
                throw new UsageException($"listen --transport {over.ToString().ToLowerInvariant()}: {ex.Message}");
            }

            Console.WriteLine(over == ListenTransport.Udp
                ? $"received {counters.Received}, written {counters.Written}, dropped {counters.Dropped} (receive errors)"
                  + (counters.KernelDrops >= 0 ? $" + {counters.KernelDrops} (kernel, buffer full)" : "")
                  + $" + {counters.NotWritten} (not written: the disk refused them), files {counters.Files}"
                : $"connections {counters.Connections}, messages received {counters.Received}, written {counters.Written}, lost {counters.Incomplete} (incomplete or unframeable)"
                  + $" + {counters.Dropped} (connections failed) + {counters.NotWritten} (not written: the disk refused them), files {counters.Files}");
            return counters.NotWritten + counters.Incomplete > 0 ? ExitCodes.RunFailed : ExitCodes.Ok;
        }, migrate: false));
        return command;
    }
}
