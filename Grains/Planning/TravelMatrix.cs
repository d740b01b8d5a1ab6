namespace TourPlanner.Grains.Planning;

/// <summary>An immutable square matrix of non-negative integer travel times; asymmetric matrices are allowed.</summary>
public sealed class TravelMatrix
{
    private readonly int[] _cells;

    private TravelMatrix(int size, int[] cells)
    {
        Size = size;
        _cells = cells;
    }

    /// <summary>Number of nodes (rows and columns).</summary>
    public int Size { get; }

    /// <summary>Travel time from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public int this[int from, int to] => _cells[from * Size + to];

    /// <summary>Copies the rows into a new matrix; every row must have <c>rows.Count</c> non-negative entries.</summary>
    public static TravelMatrix FromRows(IReadOnlyList<IReadOnlyList<int>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var size = rows.Count;
        var cells = new int[size * size];
        for (var i = 0; i < size; i++)
        {
            if (rows[i].Count != size)
                throw new ArgumentException($"Row {i} has {rows[i].Count} entries, expected {size}.", nameof(rows));
            for (var j = 0; j < size; j++)
            {
                if (rows[i][j] < 0)
                    throw new ArgumentException($"Travel time {i}->{j} is negative.", nameof(rows));
                cells[i * size + j] = rows[i][j];
            }
        }
        return new TravelMatrix(size, cells);
    }

    /// <summary>Copies a rectangular array into a new matrix.</summary>
    public static TravelMatrix FromArray(int[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.GetLength(0) != matrix.GetLength(1))
            throw new ArgumentException("The travel matrix must be square.", nameof(matrix));
        var size = matrix.GetLength(0);
        var rows = new int[size][];
        for (var i = 0; i < size; i++)
        {
            rows[i] = new int[size];
            for (var j = 0; j < size; j++) rows[i][j] = matrix[i, j];
        }
        return FromRows(rows);
    }

    // The solver reads the flat copy directly; handing out the array keeps the hot loop free of bounds arithmetic.
    internal int[] Cells => _cells;
}
