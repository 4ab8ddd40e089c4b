using System.Text;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// A set of field paths, as structured-merge-diff's <c>fieldpath.Set</c>: a tree whose nodes are
/// path elements; a node is a member when its path itself is in the set (<c>"."</c> in FieldsV1
/// when it also has children). Empty nodes are never kept. A set is built by <see cref="Insert"/>
/// and <see cref="Descend"/> and not changed afterwards, so results of set operations share
/// subtrees with their inputs instead of copying them (this runs on every write).
/// </summary>
internal sealed class FieldSet
{
    private Dictionary<PathElement, FieldSet>? _children;

    /// <summary>Whether the path leading to this node is in the set.</summary>
    public bool Member { get; set; }

    /// <summary>The children, in no particular order.</summary>
    public IEnumerable<KeyValuePair<PathElement, FieldSet>> Children => _children ?? Enumerable.Empty<KeyValuePair<PathElement, FieldSet>>();

    /// <summary>Whether nothing is in the set.</summary>
    public bool IsEmpty => !Member && (_children is null || _children.Count == 0);

    /// <summary>Whether the node has no children.</summary>
    public bool IsLeaf => _children is null || _children.Count == 0;

    /// <summary>The child for <paramref name="element"/>, or null.</summary>
    public FieldSet? Child(PathElement element) => _children is not null && _children.TryGetValue(element, out var child) ? child : null;

    /// <summary>The child for <paramref name="element"/>, created when missing.</summary>
    public FieldSet Descend(PathElement element)
    {
        _children ??= [];
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }
        return child;
    }

    /// <summary>Adds <paramref name="path"/>.</summary>
    public void Insert(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Descend(element);
        }
        node.Member = true;
    }

    /// <summary>Whether <paramref name="path"/> is in the set.</summary>
    public bool Has(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Child(element);
            if (node is null) return false;
        }
        return node.Member;
    }

    /// <summary>Removes the child <paramref name="element"/> with everything under it.</summary>
    public void RemoveChild(PathElement element) => _children?.Remove(element);

    /// <summary>A deep copy.</summary>
    public FieldSet Clone()
    {
        var copy = new FieldSet { Member = Member };
        foreach (var (element, child) in Children)
        {
            copy.Descend(element).MergeFrom(child);
        }
        return copy;
    }

    /// <summary>The paths in either set.</summary>
    public FieldSet Union(FieldSet other)
    {
        // Sets are not changed once built, so an empty side lets the other be shared, as Difference shares.
        if (other.IsEmpty) return this;
        if (IsEmpty) return other;
        var result = Clone();
        result.MergeFrom(other);
        return result;
    }

    /// <summary>The paths in this set and not in <paramref name="other"/> (members only; children of a removed member stay).</summary>
    public FieldSet Difference(FieldSet other) => other.IsEmpty ? this : Combine(this, other, (a, b) => a && !b, keepUnmatched: true);

    /// <summary>The paths in both sets.</summary>
    public FieldSet Intersection(FieldSet other) => Combine(this, other, (a, b) => a && b, keepUnmatched: false);

    /// <summary>The paths in this set that neither are in <paramref name="other"/> nor lie under one of its members.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        var result = new FieldSet { Member = Member && !other.Member };
        if (other.Member)
        {
            return new FieldSet();
        }
        foreach (var (element, child) in Children)
        {
            var next = other.Child(element) is { } o ? child.RecursiveDifference(o) : child;
            if (!next.IsEmpty) result.Attach(element, next);
        }
        return result;
    }

    /// <summary>Every path in the set, in structured-merge-diff's order.</summary>
    public IEnumerable<IReadOnlyList<PathElement>> Paths()
    {
        var prefix = new List<PathElement>();
        return Walk(this, prefix);

        static IEnumerable<IReadOnlyList<PathElement>> Walk(FieldSet node, List<PathElement> prefix)
        {
            if (node.Member && prefix.Count > 0)
            {
                yield return prefix.ToArray();
            }
            foreach (var (element, child) in node.Children.OrderBy(c => c.Key))
            {
                prefix.Add(element);
                foreach (var path in Walk(child, prefix)) yield return path;
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    /// <summary>A path as fieldpath prints it (<c>.spec.containers[name="c"].image</c>).</summary>
    public static string Format(IReadOnlyList<PathElement> path)
    {
        var text = new StringBuilder();
        foreach (var element in path) text.Append(element.ToString());
        return text.ToString();
    }

    private void MergeFrom(FieldSet other)
    {
        Member |= other.Member;
        foreach (var (element, child) in other.Children)
        {
            Descend(element).MergeFrom(child);
        }
    }

    private static FieldSet Combine(FieldSet a, FieldSet b, Func<bool, bool, bool> member, bool keepUnmatched)
    {
        var result = new FieldSet { Member = member(a.Member, b.Member) };
        foreach (var (element, child) in a.Children)
        {
            var other = b.Child(element);
            var next = other is not null ? Combine(child, other, member, keepUnmatched) : keepUnmatched ? child : null;
            if (next is { IsEmpty: false }) result.Attach(element, next);
        }
        return result;
    }

    private void Attach(PathElement element, FieldSet child)
    {
        _children ??= [];
        _children[element] = child;
    }
}
