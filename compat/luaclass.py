"""torch.class for the Lua layer: Lua classes deriving from torch7py classes."""


class ClassRegistry:
    """The Lua classes of one runtime, by Torch7 name."""

    def __init__(self, rt):
        self.rt = rt
        self.by_typename = {}

    def luaclass_of(self, cls):
        return None

    def by_name(self, name):
        return self.by_typename.get(name)
