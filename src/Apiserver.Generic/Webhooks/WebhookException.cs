namespace Apiserver.Generic.Webhooks;

/// <summary>A webhook could not be asked, or gave no usable answer.</summary>
public sealed class WebhookException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
