"""The re-check's sealed forbid: armed before the student's first cell, in a process of its own per exercise.

This file imports nothing from coursekit: :mod:`coursekit.recheck` copies it
beside ``_recheck_child.py`` into a submission's private folder, and the
child uses it inside the sandbox.

``convbook.grading.forbid`` is the students' and nbgrader's forbid: it runs in
the process that ran the student's cells, so its state is within their reach
(the profile function's closure, the module's functions, the moment it is
switched on).  The re-check, which decides the score of record, cannot rely on
it.  Here each exercise's forbid is:

- **resolved before any student code runs**, by the trusted parent (which
  never runs a student cell), with every forbidden package imported there, so
  nothing is resolved later through functions the submission could rebind;
- **armed before the student's first cell**, in a fork of that parent that
  then runs the cells and the hidden cases.  Knowing the hidden inputs gains
  nothing, because no code of the student's ever runs unguarded in a process
  that answers;
- **immutable**: the profile function is a method bound to a tuple of
  read-only mappings, frozen sets and a private cache (``functools.lru_cache``,
  whose entries Python cannot reach), and it looks up no global or builtin
  name, so no module attribute the submission rebinds changes what it does;
- **irremovable**: an audit hook (which CPython never removes) refuses
  ``sys.setprofile``/``sys.settrace`` unless this file's code calls them, the
  object graph walks (``gc.get_objects``/``get_referrers``/``get_referents``),
  ``ctypes``, new code objects (``code.__new__``, ``code.replace``), a
  function's ``__code__`` rebound, a module loaded a second time (the original
  C functions come back that way), ``/proc/<pid>/mem`` and friends,
  ``os.exec*`` and new audit hooks; ``RLIMIT_NPROC`` of 1 (a hard limit, which
  no process can raise again) stops every new thread and process, whose first
  frame no profile function would see;
- **with nothing of the student's running inside it**: code that runs inside
  a profile function, a trace function or an audit hook is not profiled, so
  the automatic garbage collector (whose finalizers could run there) is
  switched off and ``gc.enable`` replaced, every Python-level signal handler
  is reset (SIGINT is ignored: its ``KeyboardInterrupt`` raised inside the
  profile function would make CPython drop it) and ``signal.signal``
  replaced, and the sealed functions call no method of an object that is not
  theirs;
- **without a C route around it**: the forbidden C functions that live in
  module dictionaries (numpy's ``correlate`` kernels) are replaced there by
  refusing functions before the student's code starts, and kept alive only
  inside a private cache, so ``map(kernel, ...)`` (a C function called from
  C, which no profile event shows) finds nothing to call.

An exercise that forbids nothing gets no profile function (it would cost
every call, about 4x for sympy-heavy answers, for nothing to refuse); the
rest of the guard is armed all the same.  A refused call raises ``RuntimeError`` (a built-in type: its constructor is
not the submission's to change) in the student's frame, and the profile
function is put back at the first trace event after it, as in
``convbook.grading``.

What stays out of reach of an in-process guard on CPython 3.11, and is left
to the static audit (which flags each of these forms) and the instructor: a
C function held by an immutable C type's dictionary (torch's
``_VariableFunctionsClass``) called from C by ``map``; and fresh copies of
the ``gc`` and ``_signal`` modules made by ``_imp.create_builtin``, which
raises no audit event, to install a signal handler that runs inside the
profile function.
"""

from __future__ import annotations

import functools
import os
import sys
import types

__all__ = ["arm", "install_nested_forbid", "nested_forbid", "seal"]

#: what the profile function says when it refuses a call
MESSAGE = "ForbiddenFunctionError: implement this yourself; {} is not allowed in this exercise."

#: audit events that only an attack on the guard needs
_DENIED_EVENTS = frozenset({
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "code.__new__", "sys._current_frames",
    "os.exec", "sys.addaudithook",
})
#: parts of a /proc path that reach another process's (or this one's) memory, descriptors or threads
_PROC_DENIED = ("/mem", "/fd/", "/fdinfo/", "/map_files", "/task/", "/root/", "/cwd/")


# ------------------------------------------------------------------ the sealed functions
# They read everything from their first argument (a tuple) and look up no global or builtin name
# (``type``, ``id``, ``RuntimeError`` and the rest come in the tuple): a module attribute or a builtin
# that the submission rebinds changes nothing here, and no method of an object of theirs runs here,
# where no profile function sees it.

def _profile(S, frame, event, arg):
    codes, cfunc_ids, verdict, ident, refuse, _rearm, typeof, prefixes, strtype = S[:9]
    if event == "call":
        code = frame.f_code
        entry = codes.get(ident(code))
        if entry is not None and entry[0] is code:
            refuse(S, frame, entry[1])
        own = S[18]
        if own:
            entry = own.get(ident(code))
            if entry is not None and entry[0] is code:
                refuse(S, frame, entry[1])
        if prefixes:
            filename, name = code.co_filename, code.co_name
            if typeof(filename) is not strtype or typeof(name) is not strtype:  # no str subclass's methods run here
                refuse(S, frame, "a function whose file or name is not text")
            dotted = verdict(filename, name)
            if dotted is not None:
                refuse(S, frame, dotted)
    elif event == "c_call":
        dotted = cfunc_ids.get(ident(arg))
        if dotted is not None:
            refuse(S, frame, dotted)


def _verdict(P, filename, name):
    """The forbidden module whose source ``filename`` is, or None (cached privately by ``lru_cache``)."""
    prefixes, sep = P
    if name == "<module>" or name.endswith("_dispatcher"):
        return None  # a module being imported runs; numpy's dispatchers only return their arguments
    for prefix, dotted in prefixes:
        if filename == prefix or (prefix.endswith(sep) and filename.startswith(prefix)):
            return dotted + " (" + name + ")"
    return None


def _refuse(S, frame, dotted):
    methodtype, settrace, error, message, rearm_local, rearm_global, audit, getframe = S[9:15] + S[17:18] + S[19:20]
    # When a profile function raises, CPython drops it, and says so as a "sys.setprofile" audit event: the
    # hook lets that one through because this function, called by the profile function, says first that
    # it is refusing (the hook checks both callers, and that S is the sealed state itself).
    audit("coursekit.recheck.refusing")
    marked = []
    f = getframe(1)  # the real stack, whatever ``frame`` a caller passed
    while f is not None:  # every frame of the stack: the first trace event in any of them re-arms
        marked.append((f, f.f_trace, f.f_trace_opcodes))
        f = f.f_back
    marked = (*marked,)  # a tuple, built without looking up the name ``tuple``
    local = methodtype(rearm_local, (S, marked))
    for f, _, _ in marked:
        f.f_trace = local
        f.f_trace_opcodes = True  # the next opcode, not the next line: nothing runs before the re-arm
    settrace(methodtype(rearm_global, (S, marked)))
    raise error(message.format(dotted))


def _rearm(P):
    S, marked = P
    methodtype, settrace, setprofile, profile, audit = S[9], S[10], S[15], S[16], S[17]
    for f, trace, opcodes in marked:
        f.f_trace = trace
        f.f_trace_opcodes = opcodes
    settrace(None)
    setprofile(methodtype(profile, S))
    audit("coursekit.recheck.rearmed")


def _rearm_local(P, frame, event, arg):
    P[0][5](P)


def _rearm_global(P, frame, event, arg):
    P[0][5](P)


def _hook(H, event, args):
    """The audit hook: refuses what only an attack on the guard needs (raising aborts the operation)."""
    denied, getframe, sealed, pristine, strtype, bytestype, proc, error, importerror, typeof, refusing, state = H
    if event == "object.__getattr__" or event == "sys._getframe":
        return  # the commonest events (the profile function reads frame.f_code), and this hook's own
    if event == "coursekit.recheck.refusing" or event == "coursekit.recheck.rearmed":  # see _refuse
        caller = getframe(1)
        if event == "coursekit.recheck.rearmed":
            if caller.f_code is sealed[1] and caller.f_locals.get("S") is state:
                refusing[0] = False
        elif caller.f_code is sealed[0] and caller.f_locals.get("S") is state and \
                caller.f_back is not None and caller.f_back.f_code is sealed[2]:
            refusing[0] = True
        return
    if event in denied:
        raise error(f"{event} is not allowed while the re-check runs")
    if event == "sys.setprofile" or event == "sys.settrace":
        caller = getframe(1)
        code = caller.f_code
        for c in sealed[:2]:
            if code is c and caller.f_locals.get("S") is state:  # the sealed code, with the sealed state
                return
        if event == "sys.setprofile" and refusing[0]:
            refusing[0] = False  # CPython dropping the profile function that has just refused a call
            return
        raise error(f"{event} is not allowed while the re-check runs")
    if event == "object.__setattr__":
        name = args[1:2]
        if name and typeof(name[0]) is strtype and name[0] == "__code__":
            raise error("replacing a function's code is not allowed while the re-check runs")
    elif event == "import":
        name = args[0] if args else None
        if typeof(name) is strtype and name in pristine:  # loaded already: this would be a second copy
            raise importerror(f"{name} is loaded already; a second copy is not allowed while the re-check runs")
    elif event == "open":
        path = args[0] if args else None
        if typeof(path) is bytestype:
            path = path.decode("utf-8", "replace")
        if typeof(path) is strtype and path.startswith("/proc/"):
            for part in proc:
                if part in path:
                    raise error(f"opening {path} is not allowed while the re-check runs")
    elif event.startswith("ctypes."):
        raise error("ctypes is not allowed while the re-check runs")


# ------------------------------------------------------------------ building and arming (trusted code)

_KEEP = None  # the private cache that keeps the replaced C functions alive (so their ids stay theirs)


def seal(blocked) -> tuple:
    """The sealed state of one exercise's forbid, from a ``convbook.grading._Blocked`` resolved by the parent.

    Runs before any student code.  ``blocked.patches`` (callables that only a
    name can block: numpy ufuncs, C classes) are applied here, in the child,
    and never undone.
    """
    from convbook.grading import _blocker

    codes = {code_id: (code, dotted) for code_id, (code, dotted) in blocked.codes.items()}
    cfunc_ids = {id(func): dotted for func, dotted in blocked.cfuncs.items()}
    for owner, attr, dotted in blocked.patches:
        setattr(owner, attr, _blocker(dotted))
    _replace_c_functions(blocked.cfuncs)
    prefixes = tuple((str(p), str(d)) for p, d in blocked.prefixes)
    verdict = functools.lru_cache(maxsize=None)(types.MethodType(_verdict, (prefixes, os.sep)))
    del verdict.__wrapped__  # the cache and its function are then reachable from C only
    return (types.MappingProxyType(codes), types.MappingProxyType(cfunc_ids), verdict, id, _refuse, _rearm,
            type, prefixes, str, types.MethodType, sys.settrace, RuntimeError, MESSAGE, _rearm_local,
            _rearm_global, sys.setprofile, _profile, sys.audit, {}, sys._getframe)


def _replace_everywhere(replacements: dict, namespaces=()) -> None:
    """Every reference to an object in ``replacements`` (``{id(original): replacement}``, the originals alive),
    in ``namespaces`` and in every module's dictionary, becomes its replacement."""
    for namespace in [*namespaces, *(getattr(m, "__dict__", None) for m in list(sys.modules.values()))]:
        if isinstance(namespace, dict):
            for key, value in list(namespace.items()):
                replacement = replacements.get(id(value))
                if replacement is not None:
                    namespace[key] = replacement


def _replace_c_functions(cfuncs) -> None:
    """Every module-dictionary reference to a forbidden C function becomes a refusing function."""
    global _KEEP
    if not cfuncs:
        return
    from convbook.grading import _blocker

    keep = functools.lru_cache(maxsize=None)(lambda func: None)
    for func in cfuncs:
        keep(func)  # held by the cache's C dictionary, which no Python attribute shows: their ids stay theirs
    del keep.__wrapped__
    _KEEP = keep
    blockers = {dotted: _blocker(dotted) for dotted in set(cfuncs.values())}
    _replace_everywhere({id(func): blockers[dotted] for func, dotted in cfuncs.items()})


def _refuser(what: str):
    def refused(*args, **kwargs):
        raise RuntimeError(f"{what} is not allowed while the re-check runs")
    return refused


def _quiet_the_interpreter() -> None:
    """No garbage collection and no Python signal handler from here on: nothing runs inside the guard."""
    import gc
    import signal
    import _signal

    gc.disable()
    gc.enable = _refuser("gc.enable")
    for signum in signal.valid_signals():
        if signum in (signal.SIGKILL, signal.SIGSTOP):
            continue
        handler = signal.getsignal(signum)
        if callable(handler):  # a Python handler, or Python's own default_int_handler for SIGINT
            signal.signal(signum, signal.SIG_IGN if signum == signal.SIGINT else signal.SIG_DFL)
    refused = _refuser("signal.signal")
    _replace_everywhere({id(_signal.signal): refused, id(signal.signal): refused})


def nested_forbid(S):
    """``convbook.grading.forbid`` as the masters' re-check wrappers call it, inside an armed child.

    Dotted names are the sealed set's already (the exercise's list is every
    name its tests forbid).  A function of the notebook's own (``own=`` of set
    04's ``not_allowed``: your DFT while your FFT runs) is refused inside the
    block through a table in the sealed state.  That table is the one mutable
    part of it: a submission that empties it only lets its own code call its
    own function, never a library's.
    """
    import contextlib

    own, watching = S[18], _watches(S)

    @contextlib.contextmanager
    def forbid(*targets, namespace=None):
        added = []
        for target in targets:
            code = getattr(target, "__code__", None) if not isinstance(target, str) else None
            if isinstance(code, types.CodeType) and not watching:  # no profile function is armed to see it
                raise RuntimeError("the re-check cannot forbid the notebook's own functions in an exercise that "
                                   "forbids no library function (the master's forbidden list is empty)")
            if isinstance(code, types.CodeType) and id(code) not in own:
                own[id(code)] = (code, getattr(target, "__qualname__", None) or "this function")
                added.append(id(code))
        try:
            yield
        finally:
            for key in added:
                own.pop(key, None)

    return forbid


def _watches(S) -> bool:
    """Whether the sealed state refuses anything (forbidden code, C functions or modules)."""
    return bool(S[0] or S[1] or S[7])


def install_nested_forbid(S, namespaces) -> None:
    """Put :func:`nested_forbid` wherever ``convbook.grading.forbid`` is (the set-up's namespace included)."""
    import convbook.grading

    _replace_everywhere({id(convbook.grading.forbid): nested_forbid(S)}, namespaces)


def arm(S) -> None:
    """Switch the sealed forbid on for good: no new task, a quiet interpreter, the profile function, the hook."""
    import resource

    resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))  # no thread and no process from here on
    _quiet_the_interpreter()
    if _watches(S):  # a profile function costs every call (about 4x for sympy): only when there is a call to refuse
        sys.setprofile(types.MethodType(_profile, S))
    sealed = (_refuse.__code__, _rearm.__code__, _profile.__code__)
    pristine = frozenset(name for name, module in sys.modules.items() if module is not None)
    sys.addaudithook(types.MethodType(_hook, (_DENIED_EVENTS, sys._getframe, sealed, pristine, str, bytes,
                                              _PROC_DENIED, RuntimeError, ImportError, type, [False], S)))
