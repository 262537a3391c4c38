namespace ReportJob.Scheduling;

/// <summary>What <see cref="RemoteAccessGate"/> decides for one request.</summary>
internal enum RemoteAccessDecision
{
    Allow,

    /// <summary>403: from another host, and remote access is not configured.</summary>
    Forbidden,

    /// <summary>401: from another host without the shared secret.</summary>
    Unauthorized,
}
