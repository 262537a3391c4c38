namespace ReportJob.NetFlow;

/// <summary>Order statistics without sorting.</summary>
internal static class Selection
{
    /// <summary>
    /// The <paramref name="n"/>-th largest value (1-based) of <paramref name="values"/>, in expected linear time
    /// (Hoare's quickselect with a median-of-three pivot); reorders the values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not between 1 and the length.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static long NthLargest(Span<long> values, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, values.Length);
        var k = n - 1;   // index in descending order
        var lo = 0;
        var hi = values.Length - 1;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var pivot = Median(values[lo], values[mid], values[hi]);
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }

                while (values[j] < pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // Now [lo..j] >= pivot, [i..hi] <= pivot, and anything between equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return pivot;
            }
        }

        return values[k];
    }

    private static long Median(long a, long b, long c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
}
