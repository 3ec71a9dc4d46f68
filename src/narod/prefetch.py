"""A hint to the processor to fetch an array element into cache ahead of its use.

The sequential scheme visits agents in a random order, and each visit waits on memory several
times in a chain (the agent's attributes, then the grid rows around it) that out-of-order
execution cannot overlap across agents. Asking for the next agents' data a few visits early
overlaps those waits. A prefetch never changes a result: it is only a hint.
"""

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def prefetch(typingctx, array, index):
    """Fetch ``array[index]`` (no bounds check; a bad address is ignored) into all cache levels."""
    if not isinstance(array, types.Array) or not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        address = builder.bitcast(builder.gep(data, [args[1]]), ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        function = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [address.type, i32, i32, i32]),
            "llvm.prefetch.p0",
        )
        builder.call(function, [address, i32(0), i32(3), i32(1)])  # read, keep, data cache
        return context.get_dummy_value()

    return types.void(array, index), codegen
