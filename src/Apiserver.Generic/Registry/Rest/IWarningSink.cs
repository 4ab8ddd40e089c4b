namespace Apiserver.Generic.Registry.Rest;

/// <summary>Collects the warnings of a request, sent to the client as <c>Warning</c> headers.</summary>
public interface IWarningSink
{
    /// <summary>Adds a warning (repeats are sent once).</summary>
    void Add(string message);
}
