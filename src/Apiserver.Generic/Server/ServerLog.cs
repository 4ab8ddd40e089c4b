using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Server;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving securely on {Address}")]
    public static partial void Serving(ILogger logger, string address);

    [LoggerMessage(2, LogLevel.Information, "Post-start hook {Hook} finished")]
    public static partial void HookFinished(ILogger logger, string hook);

    [LoggerMessage(3, LogLevel.Error, "Post-start hook {Hook} failed")]
    public static partial void HookFailed(ILogger logger, string hook, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "All post-start hooks finished; the server is ready")]
    public static partial void Started(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Shutting down: no new requests; waiting for in-flight ones")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(6, LogLevel.Error, "Unexpected failure serving {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Health check {Check} failed: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string check, string reason);
}
