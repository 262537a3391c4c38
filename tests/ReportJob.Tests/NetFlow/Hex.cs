namespace ReportJob.Tests.NetFlow;

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));
}
