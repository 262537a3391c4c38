namespace ReportJob.Tests.TestSupport;

/// <summary>Finds the repository root (the folder with ReportJob.sln) and ../shared beside it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Corpora => Path.Combine(Shared, "netflow-corpora");

    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReportJob.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReportJob.sln not found above " + AppContext.BaseDirectory);
    }
}
