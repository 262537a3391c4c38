using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReportJob.Scheduling;

/// <summary>
/// Loopback requests are answered; a request from another host is refused (403) unless <c>Status:AllowRemote</c> is
/// on, and then it must carry <c>Status:SharedSecret</c> (header or basic authentication) or get 401. The peer address
/// is the TCP one: forwarded headers are not honoured, so a proxy on this machine must do its own authentication.
/// </summary>
internal static class RemoteAccessGate
{
    public const string SecretHeader = "X-ReportJob-Secret";

    public static RemoteAccessDecision Decide(HttpContext context, StatusOptions options)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return RemoteAccessDecision.Allow;
        }

        if (!options.AllowRemote || string.IsNullOrEmpty(options.SharedSecret))
        {
            return RemoteAccessDecision.Forbidden;
        }

        return Presented(context.Request) is { } secret && FixedTimeEquals(secret, options.SharedSecret)
            ? RemoteAccessDecision.Allow
            : RemoteAccessDecision.Unauthorized;
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(SecretHeader, out var header) && header.Count == 1)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
