"""Rotating the data keys (`pengaduan keys rotate`): every personal value and every sealed file
re-encrypted under the keyring's current key, in batches, while the service keeps running.

The encrypted columns are found in the models (`Encrypted`/`EncryptedJSON` types), the blind
indexes by the column they are computed from. Values are read and written raw (the token as
text), so the rotation works with any keyring it is given. Each row is written back only if
what it read is still there (compare and set): a concurrent change is never overwritten, it is
picked up by the next pass. A pass looks only at what is not yet under the current key, so an
interrupted rotation loses nothing and a rerun goes on where it stopped. Passes repeat until
one finds nothing left to do."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from . import private_files, sealed
from .datakeys import FILE_MAGIC, KID_CHARS, DataKeyError, DataKeys, key_id
from .models import Base
from .models.encrypted import Encrypted, index_columns

BATCH = 500
MAX_PASSES = 50
HEADER_BYTES = len(FILE_MAGIC) + KID_CHARS
NOT_ENCRYPTED = "(not encrypted)"


class RotationError(RuntimeError):
    """Something stops a rotation from finishing (a value no key of the keyring reads)."""


@dataclass(frozen=True)
class Target:
    """A table's encrypted columns and its blind indexes (index column, source column)."""

    table: sa.TableClause
    pk: str
    columns: tuple[str, ...]
    indexes: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.table.name


def targets(metadata: sa.MetaData = Base.metadata) -> list[Target]:
    """Every table holding encrypted values, from the column types (no list kept by hand)."""
    indexes: dict[str, list[tuple[str, str]]] = {}
    for mapper in Base.registry.mappers:
        for index_attr, source_attr in index_columns(mapper):
            indexes.setdefault(mapper.local_table.name, []).append(
                (
                    mapper.attrs[index_attr].columns[0].name,
                    mapper.attrs[source_attr].columns[0].name,
                )
            )
    found = []
    for table in metadata.sorted_tables:
        columns = tuple(c.name for c in table.columns if isinstance(c.type, Encrypted))
        if not columns:
            continue
        (pk,) = (c.name for c in table.primary_key.columns)
        pairs = tuple(indexes.get(table.name, ()))
        raw = sa.table(
            table.name,
            sa.column(pk),
            *(sa.column(c, sa.Text) for c in columns),
            *(sa.column(i, sa.String) for i, _ in pairs),
        )
        found.append(Target(raw, pk, columns, pairs))
    return found


def _old(target: Target, current: str) -> sa.ColumnElement[bool]:
    """A row holds a value not under the current key."""
    return sa.or_(
        *(
            sa.and_(target.table.c[c].is_not(None), target.table.c[c].not_like(f"{current}:%"))
            for c in target.columns
        )
    )


# -- what is under which key ------------------------------------------------------------------


def census(engine: Engine) -> dict[str, Counter]:
    """Per table, how many values are under each key id (`NOT_ENCRYPTED`: no key id)."""
    head = {"start": sa.literal_column("1"), "length": sa.literal_column(str(KID_CHARS + 1))}
    found: dict[str, Counter] = {}
    with engine.connect() as conn:
        for target in targets():
            counts: Counter = Counter()
            for name in target.columns:
                col = target.table.c[name]
                prefix = sa.func.substr(col, head["start"], head["length"])
                rows = conn.execute(
                    sa.select(prefix, sa.func.count())
                    .where(col.is_not(None))
                    .group_by(sa.text("1"))
                ).all()
                for text, n in rows:
                    counts[_kid_of_prefix(text)] += n
            found[target.name] = counts
    return found


def _kid_of_prefix(text: str | None) -> str:
    kid = key_id(text or "")
    if kid is None or any(ch not in "0123456789abcdef" for ch in kid):
        return NOT_ENCRYPTED
    return kid


def sealed_files(folders: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Every regular file under `folders` and the key id in its header (None: not sealed).
    Names starting with a dot (files still being written) are left out."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in sorted(names):
                path = Path(root) / name
                if name.startswith(".") or path.is_symlink() or not path.is_file():
                    continue
                try:
                    with path.open("rb") as fh:
                        head = fh.read(HEADER_BYTES)
                except OSError:
                    continue
                yield path, key_id(head) if len(head) == HEADER_BYTES else None


def file_census(folders: Iterable[Path]) -> Counter:
    """How many files are sealed under each key id (None: not sealed)."""
    return Counter(kid for _, kid in sealed_files(folders))


def pending(engine: Engine, keys: DataKeys, folders: Iterable[Path] = ()) -> int:
    """How many rows and files are not yet under the current key."""
    current = keys.current_id
    with engine.connect() as conn:
        rows = sum(
            conn.scalar(sa.select(sa.func.count()).select_from(t.table).where(_old(t, current)))
            or 0
            for t in targets()
        )
    return rows + sum(1 for _, kid in sealed_files(folders) if kid != current)


# -- re-encrypting ----------------------------------------------------------------------------


@dataclass
class Rotated:
    """What a rotation did: values re-encrypted per table, files re-sealed, what it could not
    read (those rows and files stay as they are), and blind indexes it corrected."""

    rows: Counter = field(default_factory=Counter)
    files: int = 0
    unreadable: Counter = field(default_factory=Counter)
    indexes: int = 0
    passes: int = 0

    @property
    def complete(self) -> bool:
        return not self.unreadable


@dataclass
class _Pass:
    done: int = 0
    conflicts: int = 0
    unreadable: Counter = field(default_factory=Counter)


Progress = Callable[[int], None]
AfterBatch = Callable[[str, int], None]


class Rotation:
    """Re-encrypts the rows of `engine` and the files under `folders` under `keys.current`.
    `progress(n)` hears of every n rows or files handled; `after_batch(table, n)` of every
    committed batch (its n rows are safely under the new key)."""

    def __init__(
        self,
        engine: Engine,
        keys: DataKeys,
        folders: Iterable[Path] = (),
        batch: int = BATCH,
        progress: Progress | None = None,
        after_batch: AfterBatch | None = None,
    ):
        self.engine, self.keys, self.folders, self.batch = engine, keys, list(folders), batch
        self.progress = progress or (lambda _n: None)
        self.after_batch = after_batch or (lambda _table, _n: None)

    def run(self, max_passes: int = MAX_PASSES) -> Rotated:
        """Passes until one finds nothing left but what cannot be read; then the blind
        indexes are checked."""
        result = Rotated()
        for _ in range(max_passes):
            step = self._pass(result)
            result.passes += 1
            result.unreadable = step.unreadable
            if step.done + step.conflicts == 0:
                break
        else:
            raise RotationError(f"values kept changing under the rotation for {max_passes} passes")
        result.indexes = self._fix_indexes()
        return result

    def _pass(self, result: Rotated) -> _Pass:
        step = _Pass()
        for target in targets():
            self._table(target, step, result)
        self._files(step, result)
        return step

    # -- rows ---------------------------------------------------------------------------------

    def _table(self, target: Target, step: _Pass, result: Rotated) -> None:
        t, pk = target.table, target.table.c[target.pk]
        selected = [pk, *(t.c[c] for c in target.columns)]
        last = None
        while True:
            query = sa.select(*selected).where(_old(target, self.keys.current_id))
            if last is not None:
                query = query.where(pk > last)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(pk).limit(self.batch)).mappings().all()
            if not rows:
                return
            last = rows[-1][target.pk]
            updates = []
            for row in rows:
                try:
                    change = self._row(target, row)
                except DataKeyError:
                    step.unreadable[target.name] += 1
                    continue
                if change:
                    updates.append(change)
            done = self._write(target, updates)
            step.done += done
            step.conflicts += len(updates) - done
            result.rows[target.name] += done
            self.progress(len(rows))
            self.after_batch(target.name, done)

    def _write(self, target: Target, updates: list[tuple[list, dict]]) -> int:
        """One transaction of compare-and-set updates; how many rows were still as read."""
        done = 0
        try:
            with self.engine.begin() as conn:
                for where, values in updates:
                    change = sa.update(target.table).where(*where).values(values)
                    done += conn.execute(change).rowcount
        except sa.exc.IntegrityError as exc:
            raise RotationError(
                f"{target.name}: a blind index computed under the new key is another row's too "
                "(the same phone twice, made while the keys changed); this batch was not "
                f"written: {exc.orig}"
            ) from exc
        return done

    def _row(self, target: Target, row) -> tuple[list, dict] | None:
        """The compare-and-set update that puts `row` under the current key."""
        t, current = target.table, self.keys.current_id
        where = [t.c[target.pk] == row[target.pk]]
        values: dict = {}
        plain: dict = {}
        for name in target.columns:
            token = row[name]
            if token is None or key_id(token) == current:
                continue
            plain[name] = self.keys.decrypt(token)
            values[name] = self.keys.encrypt(plain[name])
            where.append(t.c[name] == token)
        for index, source in target.indexes:
            if source in plain:
                values[index] = self.keys.index(plain[source])
        return (where, values) if values else None

    def _fix_indexes(self) -> int:
        """Blind indexes not computed under the current key (a value written by a process at
        the moment it switched keys) are computed again: lookups after the rotation must find
        every phone."""
        fixed = 0
        current = self.keys.current_id
        for target in targets():
            if not target.indexes:
                continue
            t, pk = target.table, target.table.c[target.pk]
            sources = {s for _, s in target.indexes}
            cols = [pk, *(t.c[s] for s in sources), *(t.c[i] for i, _ in target.indexes)]
            last = None
            while True:
                query = sa.select(*cols).order_by(pk).limit(self.batch)
                if last is not None:
                    query = query.where(pk > last)
                with self.engine.connect() as conn:
                    rows = conn.execute(query).mappings().all()
                if not rows:
                    break
                last = rows[-1][target.pk]
                updates = []
                for row in rows:
                    values, where = {}, [pk == row[target.pk]]
                    for index, source in target.indexes:
                        token = row[source]
                        if token is not None and key_id(token) != current:
                            continue  # a later pass re-encrypts it, index and all
                        want = None if token is None else self.keys.index(self.keys.decrypt(token))
                        if row[index] != want:
                            values[index] = want
                            where.append(t.c[source] == token if token else t.c[source].is_(None))
                    if values:
                        updates.append((where, values))
                if updates:
                    fixed += self._write(target, updates)
        return fixed

    # -- files --------------------------------------------------------------------------------

    def _files(self, step: _Pass, result: Rotated) -> None:
        current = self.keys.current_id
        for path, kid in sealed_files(self.folders):
            if kid == current:
                continue
            try:
                done = reseal(path, self.keys)
            except FileNotFoundError:  # removed meanwhile (retention, forget): nothing to do
                continue
            except DataKeyError:
                step.unreadable["files"] += 1
                continue
            step.done += done
            step.conflicts += not done
            result.files += done
            self.progress(1)


def reseal(path: Path, keys: DataKeys) -> bool:
    """`path` sealed again under the current key (or sealed at last, when an older version
    kept it plain), replaced in one step (owner-only). False when the file changed while it
    was read (the next pass tries again)."""
    before = _identity(path)
    blob = keys.seal(sealed.read_file(path, keys))
    return private_files.replace(path, blob, keep=lambda: _identity(path) == before)


def _identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns
