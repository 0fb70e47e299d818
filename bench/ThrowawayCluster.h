// A throwaway PostgreSQL cluster for one benchmark run (scripts/pg-cluster.sh, fsync on, Unix
// socket only), in a directory of its own named after the process. What must stay true: the
// cluster is stopped and its directory removed whatever happens to the run (the destructor),
// and a benchmark given addresses of an existing database starts none.
#pragma once

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace caseflow::bench {

class ThrowawayCluster {
public:
    ThrowawayCluster() : dir_(std::string("/tmp/caseflow-pg-bench-") + std::to_string(getpid())) { run("start"); }
    ~ThrowawayCluster() {
        try {
            run("stop");
        } catch (const std::exception& error) {
            std::cerr << "benchmark: " << error.what() << "\n";
        }
    }
    ThrowawayCluster(const ThrowawayCluster&) = delete;
    ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;
    // The address of the cluster's database `caseflow` for `role` ("owner" or "app").
    std::string url(const std::string& role) const {
        return "postgresql:///caseflow?host=" + dir_ + "&user=caseflow_" + role;
    }

private:
    void run(const std::string& command) const {
        const std::string line =
            "bash '" CASEFLOW_SOURCE_DATA_DIR "/scripts/pg-cluster.sh' " + command + " " + dir_ + " >/dev/null";
        if (std::system(line.c_str()) != 0) throw std::runtime_error("scripts/pg-cluster.sh " + command + " failed");
    }
    std::string dir_;
};

} // namespace caseflow::bench
