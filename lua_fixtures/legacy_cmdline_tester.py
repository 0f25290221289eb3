"""Twin of legacy_cmdline_tester.lua: CmdLine options and a Tester suite of Jacobian checks."""
import torch7py as torch
from torch7py import nn
from torch7py.tester import TesterFailure


def run():
    cmd = torch.CmdLine()
    cmd.text()
    cmd.text("Options")
    cmd.option("-seed", 1, "random seed")
    cmd.option("-lr", 0.1, "learning rate")
    cmd.option("-hidden", 16, "hidden units")
    cmd.option("-optim", "sgd", "sgd | adam")
    cmd.option("-cuda", False, "use the GPU")
    cmd.option("-save", "logs", "where to save")
    opt = cmd.parse(["-lr", "0.05", "-hidden", "0x20", "-optim", "adam", "-cuda"])
    r = {"opt": opt, "rundir": cmd.string("run", opt, {"save": True})}
    torch.manualSeed(opt["seed"])
    tester = torch.Tester()
    suite = torch.TestSuite()

    def LinearJacobian():
        m = nn.Linear(3, opt["hidden"])
        inp = torch.randn(3)
        tester.assertlt(nn.Jacobian.testJacobian(m, inp), 1e-5, "input jacobian")
        tester.assertlt(nn.Jacobian.testJacobianParameters(m, inp, m.weight, m.gradWeight),
                        1e-5, "weight jacobian")

    def TanhIO():
        ferr, berr = nn.Jacobian.testIO(nn.Tanh(), torch.randn(4))
        tester.asserteq(ferr, 0, "forward io")
        tester.asserteq(berr, 0, "backward io")

    def Broken():
        tester.assertTensorEq(torch.ones(2), torch.zeros(2), 1e-6, "ones are not zeros")
    suite["LinearJacobian"] = LinearJacobian
    suite["TanhIO"] = TanhIO
    suite["Broken"] = Broken
    tester.add(suite)
    try:
        tester.run()
        r["run_ok"] = True
    except TesterFailure:
        r["run_ok"] = False
    r["asserts"] = tester.countasserts
    r["nerrors"] = len(tester.errors)
    r["first_error"] = "\n".join(tester.errors[0].split("\n")[:3])
    tester.run("TanhIO")
    r["tanh_only_ok"] = True
    r["tanh_only_asserts"] = tester.countasserts
    return r
