namespace Apiserver.Generic.Registry.Rest;

/// <summary>The storage of a subresource (<c>status</c>, <c>scale</c>, <c>finalize</c>): served under the object's path.</summary>
public interface ISubresourceStorage : IRestStorage
{
    /// <summary>The subresource's name, e.g. <c>status</c>.</summary>
    string Subresource { get; }
}
