# mclust 6.0.0, R 4.2.2: reference fits for tests/test_covariance_models.py.
# Run:  Rscript tests/data/mclust_reference.R   (writes CSVs to /tmp/h6_ref/out; prints the data checksums
#   faithful 1420927.8189749999 2765030.2760000001, iris 9539.2900000000 174175.6000000000, which the test
#   recomputes from ../shared/data), then pack them into tests/data/mclust_reference.npz with the Python below.
# For each data set and model: Mclust(X, G=3, modelNames=model) -> loglik, bic, df, z, pro, mean, sigma, and the
#   log-likelihood of m$parameters by dens();
# mstep(modelName=model, data=X, z=m$z) -> msigma (one M-step from mclust's converged responsibilities);
# nMclustParams(model, d, G) for d = 2, 4 (and E, V for d = 1), G = 1..3.
library(mclust)
models <- c("EII","VII","EEI","VEI","EVI","VVI","EEE","VEE","EVE","VVE","EEV","VEV","EVV","VVV")
out <- "/tmp/h6_ref/out"; dir.create(out, showWarnings=FALSE)
sets <- list(faithful=as.matrix(faithful), iris=as.matrix(iris[,1:4]))
rows <- list()
for (nm in names(sets)) {
  X <- sets[[nm]]
  cat(nm, "checksum", sprintf("%.10f %.10f", sum(X^2), sum(X * seq_len(nrow(X)))), "\n")
  for (mod in models) {
    m <- Mclust(X, G=3, modelNames=mod, verbose=FALSE)
    if (is.null(m)) { rows[[length(rows)+1]] <- data.frame(data=nm, model=mod, loglik=NA, bic=NA, df=NA, lldens=NA); next }
    # m$loglik is not always the log-likelihood of m$parameters (for some models it is the one of
    # the iterate before the last M-step): record both
    lldens <- sum(dens(data=X, modelName=mod, parameters=m$parameters, logarithm=TRUE))
    rows[[length(rows)+1]] <- data.frame(data=nm, model=mod, loglik=sprintf("%.10f", m$loglik), bic=sprintf("%.10f", m$bic), df=m$df,
                                         lldens=sprintf("%.10f", lldens))
    write.table(m$z, file.path(out, paste0("z_", nm, "_", mod, ".csv")), sep=",", row.names=FALSE, col.names=FALSE)
    write.table(matrix(c(m$parameters$pro, m$parameters$mean), ncol=1), file.path(out, paste0("theta_", nm, "_", mod, ".csv")), sep=",", row.names=FALSE, col.names=FALSE, quote=FALSE)
    write.table(matrix(m$parameters$variance$sigma, ncol=1), file.path(out, paste0("sigma_", nm, "_", mod, ".csv")), sep=",", row.names=FALSE, col.names=FALSE, quote=FALSE)
    # the M-step from the converged z, the cleanest reference for our M-step
    ms <- mstep(modelName=mod, data=X, z=m$z)
    write.table(matrix(ms$parameters$variance$sigma, ncol=1), file.path(out, paste0("msigma_", nm, "_", mod, ".csv")), sep=",", row.names=FALSE, col.names=FALSE, quote=FALSE)
  }
}
write.csv(do.call(rbind, rows), file.path(out, "fits.csv"), row.names=FALSE, quote=FALSE)
np <- c()
for (mod in models) for (d in c(2,4)) for (G in 1:3) np <- rbind(np, data.frame(model=mod, d=d, G=G, npar=nMclustParams(mod, d, G)))
for (mod in c("E","V")) for (G in 1:3) np <- rbind(np, data.frame(model=mod, d=1, G=G, npar=nMclustParams(mod, 1, G)))
write.csv(np, file.path(out, "npar.csv"), row.names=FALSE, quote=FALSE)

# ---- pack (Python 3, numpy, pandas) ----
# """Pack the CSVs written by tests/data/mclust_reference.R into tests/data/mclust_reference.npz."""
# import numpy as np, pandas as pd
# out = "/tmp/h6_ref/out"
# fits = pd.read_csv(f"{out}/fits.csv")
# arrays = {}
# d_of = {"faithful": 2, "iris": 4}
# for r in fits.itertuples():
#     key, d = f"{r.data}_{r.model}", d_of[r.data]
#     z = np.loadtxt(f"{out}/z_{key}.csv", delimiter=",")
#     K = z.shape[1]
#     theta = np.loadtxt(f"{out}/theta_{key}.csv")
#     arrays[f"z_{key}"] = z
#     arrays[f"pro_{key}"] = theta[:K]
#     arrays[f"mean_{key}"] = theta[K:].reshape(K, d)  # R's p x G mean matrix, column-major
#     for name in ("sigma", "msigma"):
#         arrays[f"{name}_{key}"] = np.loadtxt(f"{out}/{name}_{key}.csv").reshape(d, d, K, order="F").transpose(2, 0, 1)
#     arrays[f"fit_{key}"] = np.array([r.loglik, r.bic, r.df, r.lldens])
# npar = pd.read_csv(f"{out}/npar.csv")
# arrays["npar_models"] = npar.model.to_numpy(str)
# arrays["npar_dGk"] = npar[["d", "G", "npar"]].to_numpy(int)
# np.savez_compressed("/work/h6/tests/data/mclust_reference.npz", **arrays)
