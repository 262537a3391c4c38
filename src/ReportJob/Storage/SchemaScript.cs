namespace ReportJob.Storage;

/// <summary>One numbered, forward-only schema script: <c>sql/&lt;provider&gt;/NNNN_name.sql</c>.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql)
{
    public static string FolderOf(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => "sqlite",
        StorageProvider.Postgres => "postgres",
        StorageProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The scripts embedded in the executable for one provider, in order.</summary>
    public static IReadOnlyList<SchemaScript> Load(StorageProvider provider)
    {
        var assembly = typeof(SchemaScript).Assembly;
        var prefix = "sql/" + FolderOf(provider) + "/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[prefix.Length..^4];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Schema script {resource} is not named NNNN_name.sql");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new SchemaScript(version, file[(underscore + 1)..], reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }
}
