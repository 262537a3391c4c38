namespace ReportJob.IisLogs;

/// <summary>
/// Maps raw field bytes to a small id without allocating for bytes seen before. Several raw forms may map to one
/// value (<c>::ffff:10.0.0.1</c> and <c>10.0.0.1</c>; user names in any case): ids are per value.
/// </summary>
internal sealed class Utf8Interner
{
    private readonly Dictionary<byte[], int> _byRaw = new(Utf8KeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Dictionary<string, int> _byValue;
    private readonly List<string> _values = [];

    public Utf8Interner(IEqualityComparer<string> valueComparer)
    {
        _lookup = _byRaw.GetAlternateLookup<ReadOnlySpan<byte>>();
        _byValue = new Dictionary<string, int>(valueComparer);
    }

    /// <summary>Distinct raw forms held (what the memory depends on).</summary>
    public int Count => _byRaw.Count;

    public string this[int id] => _values[id];

    public bool TryGet(ReadOnlySpan<byte> raw, out int id) => _lookup.TryGetValue(raw, out id);

    /// <summary>Adds a raw form whose value the caller computed; returns the value's id.</summary>
    public int Add(ReadOnlySpan<byte> raw, string value)
    {
        if (!_byValue.TryGetValue(value, out var id))
        {
            id = _values.Count;
            _values.Add(value);
            _byValue.Add(value, id);
        }

        _lookup[raw] = id;
        return id;
    }

    public void Clear()
    {
        _byRaw.Clear();
        _byValue.Clear();
        _values.Clear();
    }
}
