using System.Runtime.CompilerServices;

namespace ReportJob.IisLogs;

/// <summary>Requests per <see cref="IisProtocol"/>, stored inside the aggregate (no array object to chase per request).</summary>
[InlineArray(IisProtocolClassifier.Count)]
internal struct ProtocolCounts
{
    private long _element;
}
