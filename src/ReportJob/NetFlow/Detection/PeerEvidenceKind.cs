namespace ReportJob.NetFlow;

/// <summary>What a <c>flow_peer_evidence</c> row is evidence of (its <c>kind</c> column).</summary>
internal static class PeerEvidenceKind
{
    /// <summary>A destination of probe-shaped flows; its peers are their sources.</summary>
    public const string DosTarget = "dos-target";

    /// <summary>A source of SMTP flows; its peers are their destinations.</summary>
    public const string MailSender = "mail-sender";
}
