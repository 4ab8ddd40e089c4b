namespace Apiserver.Bench.Servers;

/// <summary>Removal of the harness's temporary directories.</summary>
internal static class TempDirectory
{
    /// <summary>Deletes <paramref name="path"/> and everything in it; a failure is reported, not thrown.</summary>
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not delete {path}: {e.Message}");
        }
    }
}
