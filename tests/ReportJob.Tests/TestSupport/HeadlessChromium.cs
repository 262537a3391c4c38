using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// Headless Chromium as the tests run it: no network of its own, a profile folder of the test's. Either one command
/// (<see cref="Flags"/>, <see cref="Screenshot"/>), or an instance driven through its DevTools protocol (a WebSocket to
/// the page): navigate, evaluate script in the page (clicks included), collect console errors.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _consoleErrors = [];
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Errors the page wrote to its console, and uncaught exceptions.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    public static string[] Flags(string profile, bool logging = false) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars", .. logging ? new[] { "--enable-logging=stderr", "--v=0" } : [], "--user-data-dir=" + profile,
    ];

    /// <summary>Takes a screenshot of a page into TestResults/screenshots and returns its path (checked to show a rendered page).</summary>
    public static string Screenshot(string profile, string page, string name, int width, int height, long minimumBytes)
    {
        var shots = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        var shot = Path.Combine(shots, name);
        File.Delete(shot);
        var (code, _, log) = ExternalTools.RunRaw("chromium",
            [.. Flags(profile), "--screenshot=" + shot, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--window-size={width},{height}"), new Uri(page).AbsoluteUri],
            TimeSpan.FromSeconds(90));
        Assert.True(code == 0 && File.Exists(shot), "chromium made no screenshot: " + log);
        Assert.True(new FileInfo(shot).Length > minimumBytes, "the screenshot should show a rendered page");
        return shot;
    }

    /// <summary>Starts Chromium on a blank page and connects to that page's DevTools socket.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "reportjob-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo(ExternalTools.Require("chromium"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[.. Flags(profile), "--remote-debugging-port=0", "about:blank"])
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var chromium = new HeadlessChromium(process, profile);
        try
        {
            // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr gives the port.
            var port = await ReadDevToolsPortAsync(process).WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient();
            var pages = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = pages.First(p => (string?)p!["type"] == "page")!;
            await chromium._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            _ = chromium.ReceiveLoopAsync();
            await chromium.SendAsync("Runtime.enable", new JsonObject());
            await chromium.SendAsync("Page.enable", new JsonObject());
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        // The page asked for, loaded (a reload the previous page had scheduled must not be taken for it).
        await WaitForAsync($"document.readyState === 'complete' && location.href === {JsonSerializer.Serialize(new Uri(url).AbsoluteUri)}", TimeSpan.FromSeconds(30));
    }

    /// <summary>Evaluates an expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException("Script failed in the page: " + error.ToJsonString());
        }

        return result["result"]?["value"];
    }

    /// <summary>Polls a boolean expression in the page until it is true.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await EvaluateAsync("!!(" + condition + ")"))?.GetValue<bool>() == true)
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (watch.Elapsed < timeout)
            {
                // The page was replaced while the script ran (a navigation or a reload): ask again.
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Not true in the page within {timeout.TotalSeconds} s: {condition}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<int> ReadDevToolsPortAsync(Process process)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            var m = DevToolsLine().Match(line);
            if (m.Success)
            {
                _ = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("Chromium exited without opening its DevTools port.");
    }

    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = done;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var text = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                text.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var message = JsonNode.Parse(text.ToArray())!;
                text.SetLength(0);
                if (message["id"] is { } id)
                {
                    TaskCompletionSource<JsonNode>? done;
                    lock (_pending)
                    {
                        _pending.Remove(id.GetValue<int>(), out done);
                    }

                    if (message["error"] is { } error)
                    {
                        done?.TrySetException(new InvalidOperationException("DevTools: " + error.ToJsonString()));
                    }
                    else
                    {
                        done?.TrySetResult(message["result"] ?? new JsonObject());
                    }
                }
                else if ((string?)message["method"] is "Runtime.exceptionThrown" || ((string?)message["method"] == "Runtime.consoleAPICalled" && (string?)message["params"]?["type"] == "error"))
                {
                    lock (_consoleErrors)
                    {
                        _consoleErrors.Add(message["params"]!.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Chromium went away (disposal).
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(\d+)/")]
    private static partial Regex DevToolsLine();
}
