"""Session 20's second sweep of public-repo training code (sw20g): whole main files of the
kind public Torch7 projects had (datasets, minibatch loops, ConfusionMatrix, optim.Logger,
checkpoints, GAN/VAE/siamese/seq2seq/char-rnn/DQN loops...), run under our th and under the
original Torch7. Every expectation is what the original Torch7 (/tmp/ref7: LuaJIT 2.1.0-beta2,
torch7 814ea4a, nn 8726825, paths 4ebe222) printed for the same code."""
from luatest import th_script


# -- paths.thisfile keeps a source that is not a file's -------------------------------------------
# paths/init.lua's thisfile: debug.getinfo(depth).source, made absolute only when it starts
# with '@'; any other string ('=[C]' when paths.dofile is called through pcall, a loadstring's
# code) is returned as it is, so paths.dofile resolves the file against its dirname ('.'), i.e.
# the cwd made absolute by paths.concat

def test_paths_dofile_through_pcall_resolves_against_the_cwd(tmp_path):
    (tmp_path / "sub.lua").write_text("return 40 + 2\n")
    r = th_script(
        "local cwd = paths.cwd():gsub('%p', '%%%0')\n"
        "local function rel(s) return (tostring(s):gsub(cwd, 'CWD')) end\n"
        "print(pcall(paths.thisfile))\n"
        "local ok, e = pcall(paths.dofile, 'missing.lua')\n"
        "print(ok, rel(e))\n"
        "print(pcall(paths.dofile, 'sub.lua'))\n"
        "local ok2, e2 = pcall(loadstring('return paths.dofile(\"zz.lua\")'))\n"
        "print(ok2, rel(e2))\n"
        "print(rel(select(2, pcall(paths.thisfile, 'q.lua'))))\n", tmp_path)
    # the original printed:
    assert r.stdout == ("true\t=[C]\t\n"
                        "false\tcannot open CWD/missing.lua: No such file or directory\t\n"
                        "true\t42\t\n"
                        "false\tcannot open CWD/zz.lua: No such file or directory\t\n"
                        "CWD/q.lua\t\n"), r.stderr
