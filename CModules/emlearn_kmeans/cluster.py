# Python part of emlearn_kmeans, merged into the same .mpy as kmeans.c (which provides
# euclidean_argmin). Lloyd's algorithm on uint8 data with integer centroids, as emlearn-micropython.
import array


def cluster_iter(values, centroids, assignments, features, max_iter=10, stop_changes=0):
    """K-means over values (features values per sample), starting from centroids, which are
    updated in place; assignments (a uint8 array, one entry per sample) receives each sample's
    cluster. Yields the number of changed assignments after each assignment pass; stops after
    max_iter passes or when that number is <= stop_changes. A centroid moves to the floor of
    its members' mean; one without members stays where it is."""
    n_clusters = len(centroids) // features if 0 < features < 255 else 0
    if not 0 < n_clusters < 255 or len(values) != len(assignments) * features:
        raise ValueError("features, clusters 1..254, 1 assignment/sample")
    for _ in range(max_iter):
        changes = euclidean_argmin(centroids, values, assignments)
        yield changes
        if changes <= stop_changes:
            break
        sums = [0] * len(centroids)
        counts = [0] * n_clusters
        i = 0
        for c in assignments:
            counts[c] += 1
            o = c * features
            for j in range(o, o + features):
                sums[j] += values[i]
                i += 1
        o = 0
        for n in counts:
            if n:
                for j in range(o, o + features):
                    centroids[j] = sums[j] // n
            o += features


def cluster(values, centroids, features, **kwargs):
    """Runs cluster_iter to the end; returns the assignments (a 'B' array)."""
    assignments = array.array('B', b'\xff' * (len(values) // (features or 1)))
    for _ in cluster_iter(values, centroids, assignments, features, **kwargs):
        pass
    return assignments
