"""pytest plugin for the SDK's own tests (-p faker_unique, used by
scripts/sdk-scalekit-python.sh with SCALEKIT_PY_SDK_TESTS=1). Debian
bookworm's Faker is 0.9.3, which has no Faker().unique (Faker 4.9 added it);
the SDK's tests call faker.unique.random_number(...). With an old Faker this
gives Generator a minimal .unique proxy that draws again until it gets a
value it has not returned before; a Faker that has .unique is left alone."""
import faker
import faker.generator


class _Unique:
    def __init__(self, gen):
        self._gen, self._seen = gen, set()

    def __getattr__(self, name):
        fn = getattr(self._gen, name)

        def call(*args, **kwargs):
            for _ in range(1000):
                v = fn(*args, **kwargs)
                if (name, v) not in self._seen:
                    self._seen.add((name, v))
                    return v
            raise ValueError(f"no unique {name} after 1000 draws")
        return call


if not hasattr(faker.Faker(), "unique"):
    faker.generator.Generator.unique = property(lambda self: self.__dict__.setdefault("_unique", _Unique(self)))
