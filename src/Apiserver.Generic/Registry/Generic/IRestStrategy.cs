using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The per-resource rules a <see cref="GenericStore"/> applies: stateless, one instance per
/// resource. Every hook has a default; a strategy overrides only what its resource needs.
/// </summary>
public interface IRestStrategy
{
    /// <summary>The name format of the resource (RFC 1123 subdomain unless overridden).</summary>
    IReadOnlyList<string> ValidateName(string name) => NameValidation.IsDns1123Subdomain(name);

    /// <summary>Clears or sets fields on a new object before validation (status, generation, defaults).</summary>
    void PrepareForCreate(JsonObject obj) { }

    /// <summary>Carries fields over from the stored object before validation (e.g. status on main-resource writes).</summary>
    void PrepareForUpdate(JsonObject obj, JsonObject old) { }

    /// <summary>Adds the problems of a new object to <paramref name="errors"/>.</summary>
    void Validate(JsonObject obj, List<FieldError> errors) { }

    /// <summary>Adds the problems of an update (immutable fields and the like) to <paramref name="errors"/>.</summary>
    void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors) => Validate(obj, errors);

    /// <summary>Whether a PUT of a missing object creates it.</summary>
    bool AllowCreateOnUpdate => false;

    /// <summary>Whether a PUT without <c>metadata.resourceVersion</c> overwrites whatever is stored.</summary>
    bool AllowUnconditionalUpdate => true;

    /// <summary>
    /// Called when a delete is asked for: returns true when deletion must wait (the object is then
    /// stored with a <c>deletionTimestamp</c>), after changing the object as the resource requires.
    /// Objects with <c>metadata.finalizers</c> always wait, whatever this returns.
    /// </summary>
    bool BeginGracefulDelete(JsonObject obj) => false;

    /// <summary>
    /// The value of a selectable field beyond <c>metadata.name</c> and <c>metadata.namespace</c>
    /// (e.g. <c>type</c> of a secret), or null when the resource does not support that field.
    /// </summary>
    string? GetSelectableField(JsonObject obj, string field) => null;
}
